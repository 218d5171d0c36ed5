import { describe, expect, it } from 'vitest';
import { createExtractor } from '../../src/extract/index.js';
import type { PlaceRef } from '../../src/core/model.js';
import { distanceKm } from '../../src/gazetteer/index.js';

/** The place the extractor reads from a short report (texts written for these tests). */
function placeOf(text: string): PlaceRef {
  const [incident] = createExtractor().extract({ text, published: '2024-05-02' });
  const value = incident?.fields.location?.value;
  if (value === undefined) throw new Error(`no place read from: ${text}`);
  return value;
}

/** Kilometres from the place's point to a reference point; Infinity when it has no point. */
function kmFrom(place: PlaceRef, lat: number, lon: number): number {
  return place.lat === null || place.lat === undefined || place.lon === null || place.lon === undefined ? Infinity : distanceKm(place.lat, place.lon, lat, lon);
}

describe('a part of a town, a village of a town', () => {
  it('reads "X neighbourhood, Town, Region, Country" as the town when the region is one the country table knows', () => {
    const place = placeOf('Gunmen shot dead a shopkeeper in the Lal Chowk neighbourhood, Srinagar, Jammu and Kashmir, India, on Monday.');
    expect(place).toMatchObject({ name: 'Srinagar', country: 'IN', admin1: 'Jammu and Kashmir', precision: 'city' });
    expect(kmFrom(place, 34.08, 74.8)).toBeLessThan(10);
  });

  it('reads "Village, Town, Northern Ireland" as the village in the town\'s district', () => {
    const place = placeOf('A petrol bomb was thrown at a house in Drumcrannagh, Cookstown, Northern Ireland, United Kingdom, overnight.');
    expect(place).toMatchObject({ name: 'Drumcrannagh', country: 'GB', admin1: 'Northern Ireland', precision: 'admin2', radiusKm: 50 });
    expect(kmFrom(place, 54.64, -6.75)).toBeLessThan(10);
  });

  it('reads a camp named after a town as that town', () => {
    const place = placeOf('A gunman killed a camp official in Al-Hawl camp, Al Hasakah, Syria, on Tuesday.');
    expect(place.country).toBe('SY');
    expect(kmFrom(place, 36.39, 41.15)).toBeLessThan(10);
  });

  it('reads "X neighborhood, Town" as the town, not a namesake of X elsewhere', () => {
    const place = placeOf('Missiles struck houses in the Al Rawdha neighborhood, Marib, Yemen, on Friday.');
    expect(place).toMatchObject({ country: 'YE', precision: 'city' });
    expect(kmFrom(place, 15.46, 45.33)).toBeLessThan(10);
  });

  it('puts a village whose namesake lies far away in the town named after it ("Village, Town, Province")', () => {
    const place = placeOf('Gunmen shot and wounded a village chief in San Isidro, Kidapawan, North Cotabato, Philippines, on Sunday.');
    expect(place).toMatchObject({ name: 'San Isidro', country: 'PH', precision: 'admin2' });
    expect(kmFrom(place, 7.01, 125.09)).toBeLessThan(10);
  });

  it('does not move a village to a town whose name several towns of the country share', () => {
    const place = placeOf('Gunmen opened fire on a police truck in San Isidro, Pilar, Sorsogon, Philippines, on Monday.');
    expect(place).toMatchObject({ name: 'San Isidro', country: 'PH' });
    // Pilar in Bataan is the largest Pilar, and not the one meant.
    expect(kmFrom(place, 14.66, 120.57)).toBeGreaterThan(50);
  });
});

describe('the region a report names decides between namesakes', () => {
  it('gives the region, never the namesake in another state, when the town is not in the named region', () => {
    const place = placeOf('An explosive device wounded two policemen in Orchha, Chhattisgarh, India, on Wednesday.');
    expect(place).toMatchObject({ name: 'Orchha', country: 'IN', admin1: 'Chhattisgarh', precision: 'admin1' });
    // Orchha in Madhya Pradesh, some 700 km away, is another place.
    expect(kmFrom(place, 25.35, 78.64)).toBeGreaterThan(300);
  });

  it('keeps a town whose GeoNames region has no name (new provinces) in the region named', () => {
    const place = placeOf('A bomb exploded at a church in Merauke, Papua, Indonesia, on Sunday, wounding two people.');
    expect(place).toMatchObject({ name: 'Merauke', country: 'ID', precision: 'city' });
  });
});

describe('reference points and longer names', () => {
  it('reads "Hays, south of Al Hudaydah" as Hays: a bearing names a reference point', () => {
    const place = placeOf('Rebels shelled Hays, south of Al Hudaydah, Yemen, on Sunday, wounding three people.');
    expect(place.country).toBe('YE');
    expect(kmFrom(place, 13.93, 43.48)).toBeLessThan(10);
  });

  it('does not read "Santander" out of "Norte de Santander"', () => {
    const place = placeOf('An explosive device detonated as an army convoy passed near Filo Gringo, Norte de Santander, Colombia.');
    expect(place.country).toBe('CO');
    expect(place.admin1).toMatch(/Norte de Santander/);
    // Santander de Quilichao (Cauca) is 700 km away; the region's towns are within about 200 km of Cucuta.
    expect(kmFrom(place, 7.89, -72.5)).toBeLessThan(250);
  });

  it('places a village the gazetteer lacks at the district the report names elsewhere', () => {
    const place = placeOf('Insurgents attacked an army outpost in Qarya Sufla, Kunduz, Afghanistan, overnight. It was one of three attacks in Imam Sahib district that night.');
    expect(place).toMatchObject({ name: 'Qarya Sufla', country: 'AF', admin1: 'Kunduz', precision: 'admin2', radiusKm: 50 });
    expect(kmFrom(place, 37.18, 68.91)).toBeLessThan(15);
  });

  it('names the place after the last locative of a long phrase', () => {
    const place = placeOf('An explosive device attached to the vehicle of Abdul Wahid Sadiq detonated in Qala-e-Fakhr, Ghor, Afghanistan, killing him.');
    expect(place).toMatchObject({ name: 'Qala-e-Fakhr', country: 'AF', admin1: 'Ghor' });
  });
});

describe('villages of India from the GeoNames postal places', () => {
  it('finds a village cities500 lacks when the report names India', () => {
    const place = placeOf('An explosive device wounded two policemen near Patashpur, West Bengal, India, on Friday.');
    expect(place).toMatchObject({ name: 'Patashpur', country: 'IN', precision: 'city' });
    expect(kmFrom(place, 22.02, 87.77)).toBeLessThan(10);
  });

  it('does not let a postal namesake in another state beat the town a part of town belongs to', () => {
    const place = placeOf('Gunmen shot dead a shopkeeper in the Chanapora neighbourhood, Srinagar, Jammu and Kashmir, India, on Monday.');
    expect(place).toMatchObject({ name: 'Srinagar', country: 'IN', precision: 'city' });
  });
});
