"""What a client is charged: the fee a new booking gets (the client's fixed
price for the service, else the service's price less their standing
discount), a booked fee changed by hand (sliding scale), and the client's
standing discount and fixed prices. Booked fees never follow a later price
change. Amounts are integer cents (see ``money``)."""

from __future__ import annotations

from dataclasses import dataclass

from practice_tui.domain.audit import audited
from practice_tui.domain.db import reads
from practice_tui.domain.errors import NotFound, ValidationError
from practice_tui.domain.models import Appointment, Client, ClientPrice, Service
from practice_tui.domain.money import parse_amount, parse_percent, percent_of

# --- fees ---------------------------------------------------------------------------


def fee_for(client_id: int, service_id: int) -> int:
    """The fee a new booking gets: the client's fixed price for the service if
    set, else the service's price less the client's standing discount.
    Called inside a transaction (booking)."""
    fixed = ClientPrice.get_or_none(
        (ClientPrice.client == client_id) & (ClientPrice.service == service_id)
    )
    if fixed is not None:
        return int(fixed.price_cents)
    price = int(Service.get_by_id(service_id).price_cents)
    client = Client.get_or_none(Client.id == client_id)
    discount = int(client.discount_percent) if client is not None else 0
    return price - percent_of(price, discount)


@audited("appointment", "fee", key="appointment_id", fields=("fee_cents",))
def set_fee(appointment_id: int, text: str) -> int:
    """Change one appointment's fee (sliding scale). A fee paid from a package
    or already paid in part can still change; the balance follows."""
    cents = parse_amount(text, field="fee", label="The fee")
    row = Appointment.get_or_none(Appointment.id == appointment_id)
    if row is None:
        raise NotFound("That appointment no longer exists.")
    row.fee_cents = cents
    row.save()
    return cents


@dataclass(frozen=True)
class ClientPricing:
    discount_percent: int
    #: (service id, service name, fixed price in cents)
    fixed_prices: tuple[tuple[int, str, int], ...]


@reads
def client_pricing(client_id: int) -> ClientPricing:
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound("That client no longer exists.")
    rows = (
        ClientPrice.select(ClientPrice, Service.id, Service.name)
        .join(Service, on=(ClientPrice.service == Service.id))
        .where(ClientPrice.client == client_id)
        .order_by(Service.name)
    )
    return ClientPricing(
        int(client.discount_percent),
        tuple((r.service_id, r.service.name, int(r.price_cents)) for r in rows),
    )


@audited("client", "discount", key="client_id", fields=("discount_percent",))
def set_discount(client_id: int, text: str) -> ClientPricing:
    """A standing discount in percent on every future booking ("" or 0: none)."""
    percent = parse_percent(text, field="discount", label="The discount")
    updated = Client.update(discount_percent=percent).where(Client.id == client_id).execute()
    if not updated:
        raise NotFound("That client no longer exists.")
    return client_pricing(client_id)


@audited("client", "price", key="client_id", fields=("client price",))
def set_client_price(client_id: int, service_id: int, text: str) -> ClientPricing:
    """A fixed price for one service for this client ("": back to the usual price)."""
    if Service.get_or_none(Service.id == service_id) is None:
        raise NotFound("That service no longer exists.", field="service")
    ClientPrice.delete().where(
        (ClientPrice.client == client_id) & (ClientPrice.service == service_id)
    ).execute()
    if text.strip():
        cents = parse_amount(text, field="price", label="The price")
        ClientPrice.create(client=client_id, service=service_id, price_cents=cents)
    return client_pricing(client_id)


def price_field(service_id: int) -> str:
    """The form field (and error key) of a service's fixed price."""
    return f"price-{service_id}"


@audited("client", "pricing", key="client_id", fields=("discount_percent", "client price"))
def save_client_pricing(
    client_id: int, discount_text: str, prices: dict[int, str]
) -> ClientPricing:
    """The client's pricing form, all or nothing: the standing discount in
    percent ("" or 0: none) and a fixed price per service (``prices``: service
    id → typed amount, "" = the usual price less the discount). Every bad field
    is named (``discount``, ``price-ID``) and nothing is stored. Booked fees
    never change; new bookings take the new prices."""
    if Client.get_or_none(Client.id == client_id) is None:
        raise NotFound("That client no longer exists.")
    errors: dict[str, str] = {}
    percent = 0
    try:
        percent = parse_percent(discount_text, field="discount", label="The discount")
    except ValidationError as error:
        errors["discount"] = error.message
    fixed: dict[int, int | None] = {}
    for service_id, text in prices.items():
        service = Service.get_or_none(Service.id == service_id)
        if service is None:
            errors[price_field(service_id)] = "That service no longer exists."
            continue
        if not text.strip():
            fixed[service_id] = None
            continue
        try:
            fixed[service_id] = parse_amount(
                text, field=price_field(service_id), label=f"The price for {service.name}"
            )
        except ValidationError as error:
            errors[price_field(service_id)] = error.message
    if errors:
        raise ValidationError.from_errors(errors)
    Client.update(discount_percent=percent).where(Client.id == client_id).execute()
    for service_id, cents in fixed.items():
        ClientPrice.delete().where(
            (ClientPrice.client == client_id) & (ClientPrice.service == service_id)
        ).execute()
        if cents is not None:
            ClientPrice.create(client=client_id, service=service_id, price_cents=cents)
    return client_pricing(client_id)
