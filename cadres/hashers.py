"""The hash of an initial password.

An initial password is random (10 characters of an alphabet of 55, about 55 bits: see
``services.accounts.initial_password``), printed once and changed at the first login. Key
stretching protects guessable human passwords; a random one needs far less of it, and the
default's million PBKDF2 rounds (~0.4 s each) would make logins for 577 cadres take minutes in
one request. So initial passwords are hashed with fewer rounds; Django re-hashes a password
with the preferred (first) hasher at the next successful login, and the first login must set a
new password anyway.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class InitialPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_initial"
    iterations = 20_000
