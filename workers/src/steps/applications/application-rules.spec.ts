import { combineHits, parseHits } from './application-rules';
import { declineReasons } from './application-steps';

describe('combining the rules of every person', () => {
  it('takes the most severe outcome and the reasons that gave it', () => {
    expect(combineHits([])).toEqual({ outcome: 'accept', reasonCodes: [] });
    expect(combineHits([{ outcome: 'refer', reasonCode: 'SMOKER' }, { outcome: 'refer', reasonCode: 'SMOKER' }, { outcome: 'refer', reasonCode: 'BMI_HIGH' }])).toEqual({ outcome: 'refer', reasonCodes: ['SMOKER', 'BMI_HIGH'] });
    expect(combineHits([{ outcome: 'refer', reasonCode: 'SMOKER' }, { outcome: 'decline', reasonCode: 'BMI_OVER_40' }])).toEqual({ outcome: 'decline', reasonCodes: ['BMI_OVER_40'] });
  });

  it('reads the rows of a COLLECT table and refuses a row without outcome or reason', () => {
    expect(parseHits('t', '')).toEqual([]);
    expect(parseHits('t', 'null')).toEqual([]);
    expect(parseHits('t', '[{"outcome":"refer","reasonCode":"SMOKER"}]')).toEqual([{ outcome: 'refer', reasonCode: 'SMOKER' }]);
    expect(() => parseHits('t', '[{"outcome":"maybe","reasonCode":"X"}]')).toThrow(/without a known outcome/);
  });
});

describe('the reasons of a decline', () => {
  it('the diagram\'s reason first, then the underwriter\'s with their words for the client, then the rules\'', () => {
    expect(declineReasons({ variables: { reasonCodes: ['SMOKER'] }, customHeaders: { reasonCode: 'NO_ANSWER_BY_DEADLINE' } })).toEqual({ reasonCodes: ['NO_ANSWER_BY_DEADLINE'] });
    expect(declineReasons({ variables: { reasonCodes: ['SMOKER'], underwritingDecision: 'decline', declineReasonCode: 'UNDERWRITER_HEALTH_RISK' }, customHeaders: {} })).toEqual({ reasonCodes: ['UNDERWRITER_HEALTH_RISK'] });
    expect(declineReasons({ variables: { reasonCodes: ['BMI_OVER_40'] }, customHeaders: {} })).toEqual({ reasonCodes: ['BMI_OVER_40'] });
    expect(() => declineReasons({ variables: {}, customHeaders: {} })).toThrow(/without a reason code/);
  });
});
