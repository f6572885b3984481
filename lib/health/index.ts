export { DinteroAuthHealthIndicator } from './dintero-auth.health.js';
