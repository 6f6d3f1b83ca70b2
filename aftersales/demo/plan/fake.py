"""Seeded fake Chinese data: people's names, mobile and landline numbers, street, home and
village addresses, coordinates near a city, money amounts."""

from __future__ import annotations

import random
from decimal import Decimal

from aftersales.demo import data as d


def coord(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


class Fake:
    """A seeded generator of Chinese names, phone numbers, addresses and coordinates."""

    def __init__(self, seed: int, section: str) -> None:
        self.rng = random.Random(f"{seed}:{section}")
        self.people: set[str] = set()
        self.mobiles: set[str] = set()

    def person(self, unique: bool = True) -> str:
        for _ in range(200):
            name = self.rng.choice(d.SURNAMES) + self.rng.choice(d.GIVEN_NAMES)
            if not unique or name not in self.people:
                self.people.add(name)
                return name
        name = self.rng.choice(d.SURNAMES) + "".join(self.rng.sample(d.GIVEN_NAMES, 2))[:2]
        self.people.add(name)
        return name

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(d.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def landline(self, city: d.City) -> str:
        first = self.rng.choice("2345678")
        return f"{city.area_code}-{first}{self.rng.randrange(10**7):07d}"

    def street(self, city: d.City, district: str = "") -> str:
        district = district or self.rng.choice(city.districts)
        road = self.rng.choice(d.ROADS)
        return f"{city.province}{city.name}市{district}{road}{self.rng.randint(1, 2999)}号"

    def home(self, city: d.City) -> str:
        estate = self.rng.choice(d.ESTATES)
        return (
            f"{self.street(city)}{estate}小区{self.rng.randint(1, 32)}栋"
            f"{self.rng.randint(1, 4)}单元{self.rng.randint(1, 28)}{self.rng.randint(1, 4):02d}室"
        )

    def rural(self, city: d.City, district: str, village: str) -> str:
        return (
            f"{city.province}{city.name}市{district}{village}村"
            f"{self.rng.randint(1, 12)}组{self.rng.randint(1, 99)}号"
        )

    def near(self, city: d.City, spread: float) -> tuple[Decimal, Decimal]:
        lat = city.lat + max(-0.3, min(0.3, self.rng.gauss(0, spread)))
        lng = city.lng + max(-0.35, min(0.35, self.rng.gauss(0, spread * 1.2)))
        return coord(lat), coord(lng)

    def around(self, point: tuple[Decimal, Decimal], spread: float) -> tuple[Decimal, Decimal]:
        lat, lng = point
        return (
            coord(float(lat) + self.rng.uniform(-spread, spread)),
            coord(float(lng) + self.rng.uniform(-spread, spread)),
        )

    def money(self, low: int, high: int, step: int = 1) -> Decimal:
        return Decimal(self.rng.randrange(low // step, high // step + 1) * step).quantize(
            Decimal("0.01")
        )
