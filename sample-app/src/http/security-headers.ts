import type { NextFunction, Request, Response } from 'express';

/**
 * The pages load their scripts and styles from this app only, never inline, so the policy can
 * forbid everything else: an injection that slipped past escaping would not run. `nosniff` keeps a
 * browser from reading a JSON answer or a static file as HTML or script.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Express middleware (set up before the static files, which Nest middleware would not cover). */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
}
