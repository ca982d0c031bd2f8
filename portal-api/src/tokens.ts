/** Injection tokens for what is not a class: the pino logger and the settings. */
export const LOGGER = Symbol('pino logger');
export const PORTAL_SETTINGS = Symbol('portal settings');
