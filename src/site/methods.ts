/** The HTTP methods some page or endpoint answers: forms POST, the open-data API has preflights. */
export const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';
