import { BadRequestException, Controller, Get, Param, UseFilters } from '@nestjs/common';
import { DinteroExceptionFilter, DinteroHttpService } from 'nestjs-dintero-auth';
import { firstValueFrom } from 'rxjs';

// Or for the whole app, in any module: providers: [{ provide: APP_FILTER, useClass: DinteroExceptionFilter }]
@UseFilters(DinteroExceptionFilter)
@Controller('transactions')
export class TransactionsController {
  constructor(private readonly dintero: DinteroHttpService) {}

  @Get(':id')
  async get(@Param('id') id: string): Promise<unknown> {
    // An id from a URL goes into Dintero's path: let through only what an id looks like.
    if (!/^[PT]\d{8}\.[0-9A-Za-z]+$/.test(id)) throw new BadRequestException('Not a transaction id');
    const { data } = await firstValueFrom(this.dintero.get(`/transactions/${id}`));
    return data; // Dintero's 404 reaches the client as a 404 with Dintero's error, not a 500
  }
}
