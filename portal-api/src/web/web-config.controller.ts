import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard';
import { ACCEPTED_MEDIA_TYPES } from '../documents/content-check';
import { type PortalSettings } from '../settings';
import { PORTAL_SETTINGS } from '../tokens';

/** What the web apps need before signing in; the same build serves any deployment. */
@ApiTags('web')
@Controller('web-config')
export class WebConfigController {
  constructor(@Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Settings of the web apps: the OpenID Connect issuer and client id, and what a document upload may be (types, size limit) so a file is checked when it is picked.' })
  config() {
    return {
      issuer: this.settings.oidcIssuer,
      clientId: this.settings.webClientId,
      documents: { maxBytes: this.settings.maxUploadBytes, mediaTypes: ACCEPTED_MEDIA_TYPES },
    };
  }
}
