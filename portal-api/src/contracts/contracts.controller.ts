import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { CLAIM_PURPOSES } from '../claims/claim-access';
import { BeneficiariesInput, CancellationInput, EndorsementInput, RenewalPlanInput, RenewalTermInput, StatusChangeInput } from './contract.dto';
import { ContractsService } from './contracts.service';
import { RenewalsService } from './renewals.service';

/** Staff who see contracts: those who see claims and customers (staff search). */
export const CONTRACT_READERS = CLAIM_PURPOSES.read;
/** Staff who change contracts: the call center (customer service takes the client's request) and managers. */
export const CONTRACT_EDITORS = [ROLES.callCenter, ROLES.manager] as const;

@ApiTags('contracts')
@ApiBearerAuth()
@Controller('policies/:policyId')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get('contract')
  @Roles(...CONTRACT_READERS)
  @ApiOperation({ summary: 'The contract: state today and its history, terms over time with premiums, dependants, beneficiaries, renewal.' })
  contract(@Param('policyId') policyId: string) {
    return this.contracts.forStaff(policyId);
  }

  @Post('endorsements')
  @HttpCode(201)
  @Roles(...CONTRACT_EDITORS)
  @ApiOperation({ summary: 'A mid-term change (add dependants, change the deductible) from a day, re-priced, with the pro-rata charge or refund.' })
  endorse(@Caller() staff: Principal, @Param('policyId') policyId: string, @Body() input: EndorsementInput) {
    return this.contracts.endorse(staff, policyId, input);
  }

  @Post('cancellation')
  @HttpCode(200)
  @Roles(...CONTRACT_EDITORS)
  @ApiOperation({ summary: 'Cancel the policy from a day: care from then on is not covered.' })
  cancel(@Caller() staff: Principal, @Param('policyId') policyId: string, @Body() input: CancellationInput) {
    return this.contracts.cancel(staff, policyId, input);
  }

  @Post('status-changes')
  @HttpCode(200)
  @Roles(...CONTRACT_EDITORS)
  @ApiOperation({ summary: 'Suspend, lapse (premium unpaid) or reinstate the policy over days.' })
  changeStatus(@Caller() staff: Principal, @Param('policyId') policyId: string, @Body() input: StatusChangeInput) {
    return this.contracts.changeStatus(staff, policyId, input);
  }

  @Put('beneficiaries')
  @Roles(...CONTRACT_EDITORS)
  @ApiOperation({ summary: 'The beneficiaries from a day on, with whole-percent shares adding up to 100.' })
  beneficiaries(@Caller() staff: Principal, @Param('policyId') policyId: string, @Body() input: BeneficiariesInput) {
    return this.contracts.setBeneficiaries(staff, policyId, input);
  }
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/policies/:policyId')
@Roles(ROLES.client)
export class MyContractController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly renewals: RenewalsService,
  ) {}

  @Get('contract')
  @ApiOperation({ summary: 'My policy: its state, history, dependants, beneficiaries, terms and the renewal offer.' })
  contract(@Caller() caller: Principal, @Param('policyId') policyId: string) {
    return this.contracts.forClient(caller, policyId);
  }

  @Post('renewal/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline the renewal offer: the policy then ends on its end date.' })
  decline(@Caller() caller: Principal, @Param('policyId') policyId: string) {
    return this.renewals.decline(caller, policyId);
  }
}

/** The renewal process's steps, for the job workers' service account only. */
@ApiTags('internal (workers)')
@ApiBearerAuth()
@Controller('internal/policies/:policyId')
@Roles(ROLES.worker)
export class RenewalProcessController {
  constructor(private readonly renewals: RenewalsService) {}

  @Post('renewal-plan')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the renewal instance watching the policy; the offer, reminder and end timers (planned false: nothing to watch).' })
  plan(@Caller() worker: Principal, @Param('policyId') policyId: string, @Body() input: RenewalPlanInput) {
    return this.renewals.plan(worker, policyId, input.processInstanceKey);
  }

  @Post('renewal-offer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Price the renewal on the current product version, once per term.' })
  offer(@Caller() worker: Principal, @Param('policyId') policyId: string, @Body() input: RenewalTermInput) {
    return this.renewals.offer(worker, policyId, input.termEndsOn);
  }

  @Post('renewal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Renew on the offered terms unless declined (renewed false then).' })
  renew(@Caller() worker: Principal, @Param('policyId') policyId: string, @Body() input: RenewalTermInput) {
    return this.renewals.renew(worker, policyId, input.termEndsOn);
  }

  @Post('expiry')
  @HttpCode(200)
  @ApiOperation({ summary: 'The term ended without renewal: expired from the next day.' })
  expire(@Caller() worker: Principal, @Param('policyId') policyId: string, @Body() input: RenewalTermInput) {
    return this.renewals.expire(worker, policyId, input.termEndsOn);
  }
}
