export { DinteroAuthHealthIndicator, InjectDinteroHealthIndicator, getDinteroHealthIndicatorToken } from './dintero-auth.health.js';
