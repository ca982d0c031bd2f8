/**
 * The words a staff member reads when the task they reached for is someone
 * else's: who has it and since when, as a person would say it, so the list
 * can refresh the row and nobody reads an engine error.
 */
export function takenWording(assignee: string, takenAt: Date | undefined, now: Date = new Date()): string {
  const who = assignee.charAt(0).toUpperCase() + assignee.slice(1);
  return `${who} took this task ${takenAt ? sinceWords(takenAt, now) : 'already'}.`;
}

/** "a moment ago", "5 minutes ago", "3 hours ago", "2 days ago". */
export function sinceWords(at: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (seconds < 90) return 'a moment ago';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minutes ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return hours === 1 ? 'an hour ago' : `${hours} hours ago`;
  const days = Math.round(hours / 24);
  return `${days} days ago`;
}
