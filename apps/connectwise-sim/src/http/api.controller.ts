import { All, Controller, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Simulator } from '../simulator/simulator';
import { ApiHandler } from './api-handler';

/** Hands ConnectWise's URLs to the ApiHandler, which writes the response itself. */
@Controller()
export class ApiController {
  private readonly handler: ApiHandler;

  constructor(simulator: Simulator) {
    this.handler = new ApiHandler(simulator);
  }

  @All('login/*path')
  companyInfo(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.handler.handle(req, res);
  }

  @All(':codebase/apis/*path')
  api(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.handler.handle(req, res);
  }
}
