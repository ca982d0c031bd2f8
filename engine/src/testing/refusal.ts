/** The status and problem detail of a call the engine refused through the SDK (its HTTPError carries both). */
export async function refusal(call: Promise<unknown>): Promise<{ status: number | undefined; detail: string }> {
  try {
    await call;
  } catch (error) {
    const refused = error as { statusCode?: number; detail?: string; message?: string };
    return { status: refused.statusCode, detail: refused.detail ?? refused.message ?? String(error) };
  }
  throw new Error('expected the engine to refuse the call, but it was accepted');
}
