/**
 * The frontend's /health and /live, and a worker's system port as Dynamo's docs run it. In a
 * module of its own, without imports, so the extension can name the defaults at activation
 * without loading the HTTP stack the checker needs.
 */
export const DEFAULT_HEALTH_ENDPOINTS: readonly string[] = ['http://localhost:8000/health', 'http://localhost:8000/live', 'http://localhost:8081/health'];
