import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.guard';
import { CLAIM_PURPOSES } from '../claims/claim-access';
import { ClaimSearchQuery, CustomerSearchQuery } from './search.dto';
import { SearchService } from './search.service';

/** Staff who see every claim may search them, and the customers behind them. */
export const SEARCH_ROLES = CLAIM_PURPOSES.read;

@ApiTags('search')
@ApiBearerAuth()
@Controller('staff/search')
@Roles(...SEARCH_ROLES)
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('claims')
  @ApiOperation({ summary: 'Claims by reference, client, status, route, submission dates and amount claimed; newest first, paged. Drafts are not listed.' })
  claims(@Query() query: ClaimSearchQuery) {
    return this.search.claims(query);
  }

  @Get('customers')
  @ApiOperation({ summary: 'Customers by name, email, phone, customer number or policy number, typos tolerated; best match first, paged.' })
  customers(@Query() query: CustomerSearchQuery) {
    return this.search.customers(query);
  }
}
