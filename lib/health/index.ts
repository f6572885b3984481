export { DinteroAuthHealthIndicator } from './dintero-auth.health.js';
export { DinteroAccountsHealthIndicator } from './dintero-accounts.health.js';
