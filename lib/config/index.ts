export { dinteroConfig } from './dintero.config.js';
