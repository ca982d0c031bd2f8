import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDateString, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

const DATE = { message: 'must be a date as YYYY-MM-DD' };

export class ApplicantInput {
  @ApiProperty({ enum: ['policyholder', 'dependant'] })
  @IsIn(['policyholder', 'dependant'], { message: 'must be policyholder or dependant' })
  role!: 'policyholder' | 'dependant';

  @ApiProperty({ example: 'Dana Keller' })
  @IsString() @MinLength(2, { message: 'must be a full name' }) @MaxLength(120)
  fullName!: string;

  @ApiProperty({ example: '1988-04-17', description: 'As on the quote, person for person.' })
  @IsDateString({ strict: true }, DATE) @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE)
  birthDate!: string;
}

export class HealthAnswersInput {
  @ApiProperty({ example: 172 })
  @IsInt({ message: 'must be whole centimetres' }) @Min(40, { message: 'must be at least 40 cm' }) @Max(250, { message: 'must be at most 250 cm' })
  heightCm!: number;

  @ApiProperty({ example: 68 })
  @IsInt({ message: 'must be whole kilograms' }) @Min(2, { message: 'must be at least 2 kg' }) @Max(350, { message: 'must be at most 350 kg' })
  weightKg!: number;

  @ApiProperty() @IsBoolean({ message: 'must be true or false' }) smoker!: boolean;
  @ApiProperty() @IsBoolean({ message: 'must be true or false' }) chronicCondition!: boolean;
  @ApiProperty() @IsBoolean({ message: 'must be true or false' }) hospitalisedLastFiveYears!: boolean;
  @ApiProperty() @IsBoolean({ message: 'must be true or false' }) ongoingTreatment!: boolean;

  @ApiPropertyOptional({ description: 'Conditions or treatments, in the client\'s words; read by the underwriter only.' })
  @IsOptional() @IsString() @MaxLength(2000)
  details?: string;
}

export class ContactInput {
  @ApiProperty({ example: 'dana@example.com' })
  @IsEmail({}, { message: 'must be an email address' })
  email!: string;

  @ApiPropertyOptional({ example: '+33612345699' })
  @IsOptional() @Matches(/^\+[1-9]\d{6,14}$/, { message: 'must be a phone number in international form, such as +33612345678' })
  phone?: string;
}

export class PaymentAccountInput {
  @ApiProperty({ example: 'Dana Keller' })
  @IsString({ message: 'must be the account holder\'s name' }) @MinLength(2, { message: 'must be the account holder\'s name' }) @MaxLength(120)
  accountHolder!: string;

  @ApiProperty({ example: 'FR76 3000 6000 0112 3456 7890 189', description: 'Checked (country format and checksum) when the application is taken.' })
  @IsString({ message: 'must be an IBAN' }) @MaxLength(50, { message: 'must be an IBAN' })
  iban!: string;

  @ApiPropertyOptional({ description: 'The applicant authorises a SEPA direct-debit mandate on this account for the policy\'s premiums (signed when the policy is issued). Without it, the client chooses how to pay on the first invoice.', default: false })
  @IsOptional() @IsBoolean({ message: 'must be true or false' })
  premiumsByDirectDebit?: boolean;
}

export class CreateApplicationInput {
  @ApiProperty({ description: 'One of my quotes, still valid.' })
  @IsUUID('all', { message: 'must be the id of one of your quotes' })
  quoteId!: string;

  @ApiProperty({ type: [ApplicantInput], description: 'The people on the quote, in its order: the policyholder and the dependants, each with their name.' })
  @IsArray() @ArrayMinSize(1, { message: 'must list the policyholder' }) @ArrayMaxSize(9, { message: 'must list at most nine people' })
  @ValidateNested({ each: true }) @Type(() => ApplicantInput)
  people!: ApplicantInput[];

  @ApiProperty({ type: [HealthAnswersInput], description: 'The health questionnaire, one per person, in the same order.' })
  @IsArray() @ArrayMinSize(1, { message: 'must answer for every person' }) @ArrayMaxSize(9, { message: 'must answer for at most nine people' })
  @ValidateNested({ each: true }) @Type(() => HealthAnswersInput)
  questionnaire!: HealthAnswersInput[];

  @ApiProperty({ type: ContactInput })
  @ValidateNested() @Type(() => ContactInput)
  contact!: ContactInput;

  @ApiPropertyOptional({ type: PaymentAccountInput, description: 'Where reimbursements go; becomes the new customer\'s payment details when the policy is issued (an existing customer\'s details are kept).' })
  @IsOptional() @ValidateNested() @Type(() => PaymentAccountInput)
  paymentAccount?: PaymentAccountInput;
}

export class ApplicationAnswerInput {
  @ApiProperty({ example: 'My last check-up was in May; the report is attached.' })
  @IsString() @MinLength(2, { message: 'must say something' }) @MaxLength(4000)
  answer!: string;
}

// --- for the job workers ---

export class AssessmentInput {
  @ApiProperty({ enum: ['accept', 'refer', 'decline'] })
  @IsIn(['accept', 'refer', 'decline'], { message: 'must be accept, refer or decline' })
  outcome!: 'accept' | 'refer' | 'decline';

  @ApiProperty({ type: [String] })
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Matches(/^[A-Z][A-Z0-9_]{1,63}$/, { each: true, message: 'must be reason codes such as BMI_HIGH' })
  reasonCodes!: string[];

  @ApiProperty({ example: '2251799813685251' })
  @Matches(/^\d{1,20}$/, { message: 'must be a process instance key (digits)' })
  processInstanceKey!: string;
}

export class InformationRequestInput {
  @ApiPropertyOptional({ description: 'Left out: the question the underwriter wrote when completing their task, kept on the application.' })
  @IsOptional() @IsString() @MinLength(10, { message: 'must be a question of at least 10 characters' }) @MaxLength(2000)
  question?: string;

  @ApiProperty({ enum: ['information', 'medical-exam'] })
  @IsIn(['information', 'medical-exam'], { message: 'must be information or medical-exam' })
  kind!: 'information' | 'medical-exam';

  @ApiProperty({ example: '2026-12-16T10:00:00Z' })
  @IsDateString({ strict: true }, { message: 'must be a date and time (ISO 8601)' })
  due!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  decidedBy?: string;
}

export class OfferInput {
  @ApiProperty({ example: '2026-12-31T10:00:00Z' })
  @IsDateString({ strict: true }, { message: 'must be a date and time (ISO 8601)' })
  validUntil!: string;

  @ApiPropertyOptional({ description: 'The underwriter who offered cover; absent when the rules accepted at once.' })
  @IsOptional() @IsString() @MaxLength(200)
  decidedBy?: string;
}

export class DeclineInput {
  @ApiProperty({ type: [String] })
  @IsArray() @ArrayMinSize(1, { message: 'must give at least one reason code' }) @ArrayMaxSize(50) @IsString({ each: true }) @Matches(/^[A-Z][A-Z0-9_]{1,63}$/, { each: true, message: 'must be reason codes such as BMI_OVER_40' })
  reasonCodes!: string[];

  @ApiPropertyOptional({ description: 'What the underwriter wrote for the client.' })
  @IsOptional() @IsString() @MaxLength(2000)
  clientReason?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  decidedBy?: string;
}
