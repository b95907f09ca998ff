/**
 * What the picture endpoints (src/pages/afbeelding/**) share: their query (`?at=` and
 * `?formaat=liggend|vierkant`, `?format=landscape|square` in English), what a picture says
 * about its source, and the answer with the open-data caching headers.
 */
import type { APIContext } from 'astro';
import type { Locale } from '../domain/campaign.ts';
import { queryName, queryValue, readQuery } from '../i18n/routes.ts';
import { apiError, apiParams, dataResponse } from './api.ts';
import { cachedImage, IMAGE_FORMATS, type CardSource, type ImageFormat } from './images.ts';

export type ImageRequest = { ok: true; at: Date | null; format: ImageFormat; locale: Locale } | { ok: false; response: Response };

export function readImageRequest({ url, locals }: Pick<APIContext, 'url' | 'locals'>): ImageRequest {
  const params = apiParams(url);
  if (!params.ok) return params;
  const locale = locals.locale;
  const name = queryName('format', locale);
  const format = readQuery(url.searchParams, 'format', locale) ?? (url.searchParams.has(name) ? null : 'landscape');
  if (!format || !(IMAGE_FORMATS as readonly string[]).includes(format)) {
    const values = IMAGE_FORMATS.map((f) => `"${queryValue('format', f, locale)}"`).join(locale === 'nl' ? ' of ' : ' or ');
    return { ok: false, response: apiError(400, locale === 'nl' ? `${name} moet ${values} zijn` : `${name} must be ${values}`) };
  }
  return { ok: true, at: params.at, format: format as ImageFormat, locale };
}

/** The picture's source line: the campaign, the moment of its numbers, this site's address. */
export function cardSource(
  { url, locals }: Pick<APIContext, 'url' | 'locals'>,
  request: Extract<ImageRequest, { ok: true }>,
  campaign: string,
  date: Date | null,
): CardSource {
  const site = new URL(locals.app.config.publicUrl ?? url.origin).host;
  return { locale: request.locale, campaign, site, date: request.at ?? date, format: request.format };
}

/** Draws the picture unless a recent one has the same key, and answers it like the open data. */
export async function imageResponse(
  httpRequest: Request,
  request: Extract<ImageRequest, { ok: true }>,
  source: CardSource,
  key: string,
  draw: () => Promise<Buffer>,
): Promise<Response> {
  const png = await cachedImage(
    `${key}:${source.locale}:${source.format}:${source.site}:${source.date?.toISOString() ?? '-'}:${request.at?.toISOString() ?? 'live'}`,
    draw,
  );
  return dataResponse(httpRequest, png, { contentType: 'image/png', frozen: request.at !== null });
}
