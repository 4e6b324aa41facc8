// the form reader moved to http/shared (the console posts forms too); the office's imports stay as they were
export { field, formOf } from '../shared/form.js';
