import { normalisedProviderName, sameProvider } from './duplicate-claims';

describe('sameProvider', () => {
  test('matches by provider id where both items name one, whatever the names', () => {
    expect(sameProvider({ providerId: 'FR-123', providerName: 'Dr. Chen' }, { providerId: 'fr-123 ', providerName: 'Cabinet Chen' })).toBe(true);
    expect(sameProvider({ providerId: 'FR-123', providerName: 'Dr. Chen' }, { providerId: 'FR-999', providerName: 'Dr. Chen' })).toBe(false);
  });

  test('otherwise matches by name, ignoring case, accents, spaces and punctuation', () => {
    expect(sameProvider({ providerId: null, providerName: 'Pharmacie du Centre' }, { providerId: 'FR-1', providerName: 'PHARMACIE DU CENTRE.' })).toBe(true);
    expect(sameProvider({ providerId: null, providerName: 'Clinique Sainte-Anne' }, { providerId: null, providerName: 'clinique sainte anne' })).toBe(true);
    expect(sameProvider({ providerId: null, providerName: 'Dr. Laura Chen' }, { providerId: null, providerName: 'Dr. Marc Dupont' })).toBe(false);
    expect(normalisedProviderName('Hôpital Saint-Éloi')).toBe('hopitalsainteloi');
  });
});
