/** Dates in messages and item labels: the portal's one formatter, so emails and breakdown lines agree. */
export { formatDate, formatDateTime } from '@claims/portal-api/src/claims/readable-dates';
