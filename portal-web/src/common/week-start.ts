/** Regions whose calendars start the week on Sunday (CLDR); most others start on Monday. */
const SUNDAY_FIRST = new Set(['US', 'CA', 'MX', 'BR', 'JP', 'KR', 'TW', 'HK', 'IL', 'PH', 'ZA', 'AU', 'IN', 'SA', 'PE', 'CO', 'VE', 'GT', 'PR']);

type WeekInfo = { firstDay: number };

/**
 * The first day of the week where the reader lives, as flatpickr counts
 * (0 Sunday, 1 Monday…): what the browser's Intl says, else by region.
 * en-GB starts on Monday, en-US on Sunday.
 */
export function firstDayOfWeek(locale: string): number {
  try {
    const parsed = new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => WeekInfo; weekInfo?: WeekInfo };
    const info = parsed.getWeekInfo?.() ?? parsed.weekInfo;
    // Intl counts 1 Monday … 7 Sunday.
    if (info && Number.isInteger(info.firstDay)) return info.firstDay % 7;
    return SUNDAY_FIRST.has(parsed.maximize().region ?? '') ? 0 : 1;
  } catch {
    return 1;
  }
}
