import { Body, Controller, Get, Param, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Caller } from '../auth/auth.guard';
import { type Principal } from '../auth/principal';
import { Problem } from '../http/problem';
import { DOCUMENT_TYPES } from './document.entity';
import { DocumentsService, type UploadedFile as Upload } from './documents.service';

const UPLOAD_BODY = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: {
      file: { type: 'string', format: 'binary', description: 'PDF, JPEG, PNG, HEIC, WebP or TIFF; checked by content.' },
      type: { type: 'string', enum: [...DOCUMENT_TYPES] },
    },
  },
};

@ApiTags('documents')
@ApiBearerAuth()
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post('claims/:claimId/documents')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiOperation({ summary: 'Attach a document to a claim.' })
  upload(@Caller() caller: Principal, @Param('claimId') claimId: string, @Body('type') type: string | undefined, @UploadedFile() file: Upload | undefined) {
    return this.documents.upload(caller, claimId, type, file);
  }

  @Post('documents/:documentId/versions')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiOperation({ summary: 'Upload a new version of a document.' })
  addVersion(@Caller() caller: Principal, @Param('documentId') documentId: string, @UploadedFile() file: Upload | undefined) {
    return this.documents.addVersion(caller, documentId, file);
  }

  @Get('documents')
  @ApiOperation({ summary: 'Search documents by claim, type and name.' })
  @ApiQuery({ name: 'claimId', required: false })
  @ApiQuery({ name: 'type', required: false, enum: DOCUMENT_TYPES })
  @ApiQuery({ name: 'name', required: false })
  search(@Caller() caller: Principal, @Query('claimId') claimId?: string, @Query('type') type?: string, @Query('name') name?: string) {
    if (name !== undefined && name.length > 200) throw Problem.invalidField('name', 'must be at most 200 characters long');
    return this.documents.search(caller, { claimId, type, name });
  }

  @Get('documents/:documentId')
  @ApiOperation({ summary: 'A document and its versions.' })
  get(@Caller() caller: Principal, @Param('documentId') documentId: string) {
    return this.documents.get(caller, documentId);
  }

  @Get('documents/:documentId/content')
  @ApiOperation({ summary: 'The bytes of a document (the current version unless ?version=n). Reads are audited.' })
  @ApiQuery({ name: 'version', required: false })
  @ApiQuery({ name: 'disposition', required: false, enum: ['attachment', 'inline'] })
  async content(@Caller() caller: Principal, @Param('documentId') documentId: string, @Query('version') version: string | undefined, @Query('disposition') disposition: string | undefined, @Res({ passthrough: true }) res: Response) {
    if (version !== undefined && !/^[1-9]\d{0,5}$/.test(version)) throw Problem.invalidField('version', 'must be a version number');
    const { stream, version: stored, name } = await this.documents.content(caller, documentId, version === undefined ? undefined : Number(version));
    res.set({
      'content-type': stored.mediaType,
      'content-length': String(stored.size),
      'content-disposition': `${disposition === 'inline' ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(name)}`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    });
    return new StreamableFile(stream);
  }
}
