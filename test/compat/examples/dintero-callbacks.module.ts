import { Body, Controller, Get, HttpCode, Module, Post, UseGuards } from '@nestjs/common';
import {
  DinteroAuthModule,
  DinteroCallbackGuard,
  type DinteroVerifiedCallback,
  type DinteroVerifiedWebhook,
  DinteroVerified,
  DinteroWebhookGuard,
  dinteroOptionsFromEnv,
} from 'nestjs-dintero-auth';

@Controller('dintero')
export class DinteroEventsController {
  readonly seen: string[] = [];

  // Dintero calls url.callback_url with Dintero-Signature: only signed callbacks get here, each once.
  @Get('callback')
  @UseGuards(DinteroCallbackGuard)
  callback(@DinteroVerified() verified: DinteroVerifiedCallback): void {
    this.seen.push(`callback for ${verified.accountId}`); // then read the transaction from the API
  }

  // Webhook subscriptions: each delivery is handled once; a retry of one already handled gets 200.
  @Post('webhook')
  @HttpCode(200)
  @UseGuards(DinteroWebhookGuard)
  webhook(@DinteroVerified() delivery: DinteroVerifiedWebhook, @Body() body: { transaction?: { id: string } }): void {
    this.seen.push(`${delivery.event} for ${body.transaction?.id ?? 'no transaction'}`);
  }
}

@Module({
  imports: [
    DinteroAuthModule.forRootAsync({
      useFactory: () =>
        dinteroOptionsFromEnv(process.env, {
          signature: {
            callbackSecrets: [process.env.DINTERO_CALLBACK_SECRET!], // POST /v1/admin/signature
            webhookSecrets: [process.env.DINTERO_WEBHOOK_SECRET!], // the subscription's config.secret
            publicUrl: process.env.PUBLIC_URL, // e.g. https://shop.example.com, as Dintero calls it
          },
        }),
    }),
  ],
  controllers: [DinteroEventsController],
})
export class DinteroEventsModule {}
// main.ts: NestFactory.create(AppModule, { rawBody: true }): webhooks are checked over the raw body.
