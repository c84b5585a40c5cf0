export { createMailer, outboxDir, smtpOptions, type Mail, type Mailer } from './mailer';
