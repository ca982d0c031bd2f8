/** A plain mark (a shield with a cross) in the apps' brand colour. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M16 2 4 6v9c0 7.5 5.1 13.4 12 15 6.9-1.6 12-7.5 12-15V6z" fill="#0b5cad"/><path d="M14 9h4v5h5v4h-5v5h-4v-5H9v-4h5z" fill="#fff"/></svg>
`;

/** The same mark inline, for pages served without a file beside them (the issuer's sign-in page). */
export const FAVICON_DATA_URL = `data:image/svg+xml,${encodeURIComponent(FAVICON_SVG.trim())}`;
