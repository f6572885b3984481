import { Controller, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { DinteroAuthHealthIndicator } from 'nestjs-dintero-auth/health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dintero: DinteroAuthHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.dintero.isHealthy()]);
  }
}

@Module({ imports: [TerminusModule], controllers: [HealthController], providers: [DinteroAuthHealthIndicator] })
export class HealthModule {}
