// Kept in step with package.json by a test; a constant so the single executable needs no file.
export const VERSION = '0.1.0';
