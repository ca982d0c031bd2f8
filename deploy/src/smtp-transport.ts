/** SMTP as every sender of mail reads it from the settings (SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD). */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user?: string;
  readonly password?: string;
}

/**
 * The nodemailer transport options both senders (the workers' notifications,
 * the portal's client notices) share, so the two never reach SMTP differently.
 */
export function smtpTransportOptions(smtp: SmtpSettings) {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
    // The embedded sink speaks plain SMTP on loopback; a relay offers STARTTLS.
    ignoreTLS: !smtp.secure && ['127.0.0.1', 'localhost'].includes(smtp.host),
  };
}
