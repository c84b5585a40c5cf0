export { createMailer, outboxDir, smtpOptions, unsentDir, type Mail, type Mailer } from './mailer';
