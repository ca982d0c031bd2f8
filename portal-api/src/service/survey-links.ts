import { errors, jwtVerify, SignJWT } from 'jose';
import { Problem } from '../http/problem';

/** What a survey link's token is for: no other token of the system is accepted here, nor this one elsewhere. */
const AUDIENCE = 'claims-satisfaction-survey';

/** Signs the link to one survey (HS256 JWT: the survey id, the expiry). */
export async function signSurveyLink(key: Uint8Array, surveyId: string, expiresAt: Date): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(surveyId).setAudience(AUDIENCE).setIssuedAt().setExpirationTime(Math.floor(expiresAt.getTime() / 1000)).sign(key);
}

/**
 * The survey a link names, if its signature and expiry hold: a token that
 * is not a JWT is 400 naming `token`, a forged one (wrong key, another
 * audience, another algorithm) 403, an expired one 410.
 */
export async function verifySurveyLink(key: Uint8Array, token: string): Promise<string> {
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw Problem.invalidField('token', 'must be the token of a survey link');
  try {
    const { payload } = await jwtVerify(token, key, { audience: AUDIENCE, algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] });
    return payload.sub!;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new Problem(410, 'Gone', 'This survey link has expired. Thank you all the same.');
    throw new Problem(403, 'Forbidden', 'This survey link is not valid. Use the link from your email as it is.');
  }
}
