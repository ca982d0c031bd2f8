import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { CompareQuotesInput, CreateQuoteInput } from './quote.dto';
import { QuotesService } from './quotes.service';

/**
 * Quotes are for signed-in clients, and each is its owner's alone. A
 * signed-in person needs no policy yet (a new client quotes before applying);
 * anonymous prospects browse the public catalog but are not priced, so a
 * quote always has an owner to apply from and nobody prices in bulk unseen.
 */
@ApiTags('quotes')
@ApiBearerAuth()
@Controller('quotes')
@Roles(ROLES.client)
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Post()
  @ApiOperation({ summary: 'Price a product: per instalment and yearly, in cents, with what each factor did and a validity date.' })
  create(@Caller() caller: Principal, @Body() input: CreateQuoteInput) {
    return this.quotes.create(caller, input);
  }

  @Post('comparison')
  @HttpCode(201)
  @ApiOperation({ summary: 'Quote two products for the same people side by side, with their benefit schedules row by row.' })
  compare(@Caller() caller: Principal, @Body() input: CompareQuotesInput) {
    return this.quotes.compare(caller, input);
  }

  @Get()
  @ApiOperation({ summary: 'My quotes, newest first.' })
  mine(@Caller() caller: Principal) {
    return this.quotes.mine(caller);
  }

  @Get(':quoteId')
  @ApiOperation({ summary: 'One of my quotes.' })
  one(@Caller() caller: Principal, @Param('quoteId') quoteId: string) {
    return this.quotes.get(caller, quoteId);
  }
}
