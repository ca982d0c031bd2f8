import { SAMPLE_FILES } from '../testing/sample-files';
import { checkFileName, detectMediaType } from './content-check';

describe('document content checks', () => {
  test('the media type comes from the bytes', async () => {
    await expect(detectMediaType(SAMPLE_FILES.pdf, 'scan.pdf')).resolves.toBe('application/pdf');
    await expect(detectMediaType(SAMPLE_FILES.png, 'photo')).resolves.toBe('image/png');
    await expect(detectMediaType(SAMPLE_FILES.png, 'photo.jpg')).rejects.toMatchObject({ detail: expect.stringContaining('named .jpg but its content is image/png') });
    await expect(detectMediaType(SAMPLE_FILES.exe, 'invoice.pdf')).rejects.toMatchObject({ status: 415 });
  });

  test('file names that could act as paths or hide their ending are refused', () => {
    expect(checkFileName('  Reçu médical.pdf ')).toBe('Reçu médical.pdf');
    for (const name of ['../x.pdf', 'a/b.pdf', 'a\\b.pdf', '..', 'x\u202Efdp.exe', 'tab\there.pdf', 'x'.repeat(201)]) {
      expect(() => checkFileName(name)).toThrow();
    }
  });
});
