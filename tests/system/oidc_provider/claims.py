"""The local provider's claims: `email` from the user, `email_verified` false for anyone in the
group UNVERIFIED (so a test may vary it per person)."""

UNVERIFIED = "email-unverified"


def userinfo(claims, user):
    claims["name"] = user.get_full_name() or user.username
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["email"] = user.email
    claims["email_verified"] = not user.groups.filter(name=UNVERIFIED).exists()
    return claims
