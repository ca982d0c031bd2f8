import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { ApplicationAnswerInput, CreateApplicationInput } from './application.dto';
import { type UploadedFile as Upload } from '../documents/documents.service';
import { ApplicationsService } from './applications.service';

/** A client's own policy applications: apply from a quote, follow, answer, accept. Another client's is 404. */
@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
@Roles(ROLES.client)
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post()
  @ApiOperation({ summary: 'Apply from one of my valid quotes: the people (named, as on the quote), the health questionnaire (one per person), contact. Starts the policy-application process.' })
  apply(@Caller() caller: Principal, @Body() input: CreateApplicationInput) {
    return this.applications.apply(caller, input);
  }

  @Get()
  @ApiOperation({ summary: 'My applications, newest first.' })
  mine(@Caller() caller: Principal) {
    return this.applications.mine(caller);
  }

  @Get(':applicationId')
  @ApiOperation({ summary: 'One of my applications: status, a request for information, the offer and its validity, the policy once issued, the reasons of a decline in words.' })
  one(@Caller() caller: Principal, @Param('applicationId') id: string) {
    return this.applications.one(caller, id);
  }

  @Post(':applicationId/documents')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'PDF, JPEG, PNG, HEIC, WebP or TIFF; checked by content.' } } } })
  @ApiOperation({ summary: 'Send a document with my application (a report, an exam\'s results) while it is being decided; the underwriter reads it.' })
  upload(@Caller() caller: Principal, @Param('applicationId') id: string, @UploadedFile() file: Upload | undefined) {
    return this.applications.uploadDocument(caller, id, file);
  }

  @Post(':applicationId/information')
  @HttpCode(202)
  @ApiOperation({ summary: 'Answer the underwriter\'s request for information (409 when none waits for an answer).' })
  answer(@Caller() caller: Principal, @Param('applicationId') id: string, @Body() input: ApplicationAnswerInput) {
    return this.applications.answer(caller, id, input.answer);
  }

  @Post(':applicationId/acceptance')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept the offer while it is valid; the policy is issued once. Accepting again answers as before (Idempotent-Replayed: true).' })
  async accept(@Caller() caller: Principal, @Param('applicationId') id: string, @Res({ passthrough: true }) res: Response) {
    const { view, replayed } = await this.applications.accept(caller, id);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return view;
  }
}

/** The application behind an underwriting task, for those who underwrite (managers above the underwriters' authority). */
@ApiTags('applications')
@ApiBearerAuth()
@Controller('underwriting/applications')
@Roles(ROLES.underwriter, ROLES.manager)
export class UnderwritingController {
  constructor(private readonly applications: ApplicationsService) {}

  @Get(':applicationId')
  @ApiOperation({ summary: 'The application with its people, health questionnaire, the rules\' outcome and reasons, and the client\'s answer.' })
  one(@Param('applicationId') id: string) {
    return this.applications.underwriting(id);
  }

  @Get(':applicationId/documents/:documentId/content')
  @ApiOperation({ summary: 'The bytes of a document the client sent with the application (reads are audited).' })
  async content(@Caller() caller: Principal, @Param('applicationId') id: string, @Param('documentId') documentId: string, @Res({ passthrough: true }) res: Response) {
    const document = await this.applications.documentContent(caller, id, documentId);
    res.set({
      'content-type': document.mediaType,
      'content-length': String(document.size),
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(document.name)}`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    });
    return new StreamableFile(document.stream);
  }
}
