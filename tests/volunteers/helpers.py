from datetime import date

from shegong.volunteers import services


def make_volunteer(world, name="王秀兰", phone="13812345678", **data):
    return services.save_volunteer(
        station=world.station,
        by=world.station_worker,
        data={"name": name, "phone": phone, "registered_on": date(2030, 3, 1), **data},
    )
