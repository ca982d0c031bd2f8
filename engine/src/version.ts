/** The Camunda API version this engine speaks, reported by /v2/topology. */
export const ENGINE_VERSION = '8.8.0-claims-embedded';
