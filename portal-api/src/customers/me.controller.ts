import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '../auth/auth.guard';
import { candidateGroupsOf, ROLES, type Principal } from '../auth/principal';
import { coverageDate } from './coverage';
import { CustomersRepository } from './customers.repository';
import { policyView } from './policy-view';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly customers: CustomersRepository) {}

  @Get()
  @ApiOperation({ summary: 'Who I am: name, roles, task groups and, for clients, my customer record.' })
  async me(@Caller() caller: Principal) {
    const customer = caller.roles.has(ROLES.client) ? await this.customers.bySubject(caller.subject) : null;
    return {
      subject: caller.subject,
      username: caller.username,
      name: caller.name,
      email: caller.email ?? null,
      roles: [...caller.roles].sort(),
      taskGroups: candidateGroupsOf(caller),
      customer: customer ? { id: customer.id, fullName: customer.fullName, email: customer.email, phone: customer.phone } : null,
    };
  }

  @Get('policies')
  @Roles(ROLES.client)
  @ApiOperation({ summary: 'My policies, with the coverage left in the current policy year.' })
  async policies(@Caller() caller: Principal) {
    const customer = await this.customers.bySubject(caller.subject);
    // A new client (a prospect with quotes or an application) has no customer record until a policy is issued: no policies yet.
    if (!customer) return { items: [] };
    const policies = await this.customers.policiesOf(customer.id);
    return {
      items: await Promise.all(
        policies.map(async (policy) => ({
          ...policyView(policy),
          coverage: await this.customers.coverage(policy, coverageDate(policy)),
        })),
      ),
    };
  }
}
