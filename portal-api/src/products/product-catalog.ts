import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Product } from './product.entity';
import { ProductVersion } from './product-version.entity';

/** A product with the terms of one of its versions, as both web apps read it. */
export function productView(product: Product, version: ProductVersion) {
  return {
    code: product.code,
    name: product.name,
    category: product.category,
    summary: product.summary,
    version: version.version,
    effectiveFrom: version.effectiveFrom,
    effectiveTo: version.effectiveTo,
    currency: version.currency,
    annualLimitCents: version.annualLimitCents,
    coinsurancePermille: version.coinsurancePermille,
    deductibleOptionsCents: [...version.deductibleOptionsCents].sort((a, b) => a - b),
    maxEntryAge: version.maxEntryAge,
    benefits: [...version.benefits]
      .sort((a, b) => a.careCode.localeCompare(b.careCode))
      .map((b) => ({ careCode: b.careCode, label: b.label, perItemLimitCents: b.perItemLimitCents, annualLimitCents: b.annualLimitCents, waitingPeriodDays: b.waitingPeriodDays, requiredDocuments: b.requiredDocuments })),
  };
}

export type ProductView = ReturnType<typeof productView>;

/** The catalog: which terms each product is sold on, on a given day. */
@Injectable()
export class ProductCatalog {
  constructor(private readonly dataSource: DataSource) {}

  /** Every product sold on `date`, each with the version in effect that day. */
  async onDate(date: string): Promise<ProductView[]> {
    const versions = await this.dataSource
      .getRepository(ProductVersion)
      .createQueryBuilder('v')
      .innerJoinAndSelect('v.product', 'p')
      .leftJoinAndSelect('v.benefits', 'b')
      .where('v.effective_from <= :date AND (v.effective_to IS NULL OR v.effective_to >= :date)', { date })
      .orderBy('p.name')
      .getMany();
    return versions.map((v) => productView(v.product, v));
  }

  /** The version of a product in effect on `date`, with its product and schedule, or null. */
  async versionOn(code: string, date: string, manager: EntityManager = this.dataSource.manager): Promise<ProductVersion | null> {
    return manager
      .getRepository(ProductVersion)
      .createQueryBuilder('v')
      .innerJoinAndSelect('v.product', 'p')
      .leftJoinAndSelect('v.benefits', 'b')
      .where('p.code = :code', { code })
      .andWhere('v.effective_from <= :date AND (v.effective_to IS NULL OR v.effective_to >= :date)', { date })
      .getOne();
  }

  async exists(code: string): Promise<boolean> {
    return (await this.dataSource.getRepository(Product).countBy({ code })) > 0;
  }
}
