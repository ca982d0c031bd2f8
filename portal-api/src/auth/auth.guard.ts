import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Request } from 'express';
import { Problem } from '../http/problem';
import { type Principal } from './principal';
import { InvalidToken, TokenVerifier } from './token-verifier';

const PUBLIC = 'claims:public';
const ROLES_KEY = 'claims:roles';

/** The endpoint needs no token (health, OpenAPI). */
export const Public = () => SetMetadata(PUBLIC, true);

/** The caller needs at least one of these realm roles. */
export const Roles = (...roles: string[]) => SetMetadata(ROLES_KEY, roles);

export interface AuthenticatedRequest extends Request {
  principal: Principal;
}

/** The verified caller of the request. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<AuthenticatedRequest>().principal);

/**
 * Every endpoint is closed unless marked @Public(): a bearer token is
 * verified, then the endpoint's @Roles() are checked. Which ids the caller may
 * touch is checked by the services, where the ids are known.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw new Problem(401, 'Unauthorized', 'Sign in: send an access token as "Authorization: Bearer <token>".');
    try {
      request.principal = await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidToken) throw new Problem(401, 'Unauthorized', error.message);
      throw error;
    }
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.some((role) => request.principal.roles.has(role))) {
      throw Problem.forbidden(`This needs one of the roles ${roles.join(', ')}; you have ${[...request.principal.roles].join(', ') || 'none'}.`);
    }
    return true;
  }
}
