import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DinteroAuthHealthIndicator } from 'nestjs-dintero-auth/health';

/** Readiness for a load balancer: up while a Dintero token is held. */
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
