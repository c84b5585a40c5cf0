export { createMailer, outboxDir, smtpOptions, unsentDir, type Mail, type MailAttachment, type Mailer } from './mailer';
