import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard';
import { Problem } from '../http/problem';
import { ProductCatalog } from './product-catalog';
import { todayUtc } from './quote-dates';

/** The catalog is public, as an insurer's product pages are: a prospect compares before signing in. */
@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(private readonly catalog: ProductCatalog) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Products sold today, each with the terms of its current version: benefit schedule, limits and deductible options in cents, co-insurance in thousandths.' })
  async list() {
    return { items: await this.catalog.onDate(todayUtc()) };
  }

  @Get(':code')
  @Public()
  @ApiOperation({ summary: 'One product with the terms of its current version.' })
  async one(@Param('code') code: string) {
    const found = (await this.catalog.onDate(todayUtc())).find((p) => p.code === code);
    if (!found) throw Problem.notFound('product', code);
    return found;
  }
}
