"""ungp_credentials: the credential format of the ungp-hub certification track.

Open Badges 3.0 / W3C Verifiable Credentials 2.0, signed with Ed25519 Data Integrity proofs
(``eddsa-rdfc-2022`` mandatory, ``eddsa-jcs-2022`` alongside), revocation by W3C Bitstring
Status List, verified entirely offline. Modules:

- :mod:`.contexts` static JSON-LD loader; :mod:`.canonical` RDFC-1.0 and JCS;
- :mod:`.multikey` multibase/Multikey; :mod:`.data_integrity` create/verify proofs;
- :mod:`.keys` issuer key directory, rotation, published key set;
- :mod:`.status_list` Bitstring Status List; :mod:`.openbadges` credential builder;
- :mod:`.verify` ``verify_credential``; :mod:`.cli` the ``cert`` click group.
"""

from .data_integrity import JCS, RDFC, create_proof, sign, verify_proof
from .errors import CredentialError
from .keys import IssuerKey, IssuerKeyStore, key_set_document
from .openbadges import Achievement, ExamEvidence, Issuer, OpenBadgeCredential
from .status_list import StatusEntry, StatusList, status_list_credential
from .verify import Check, VerificationResult, verify_credential

__all__ = [
    "JCS",
    "RDFC",
    "Achievement",
    "Check",
    "CredentialError",
    "ExamEvidence",
    "Issuer",
    "IssuerKey",
    "IssuerKeyStore",
    "OpenBadgeCredential",
    "StatusEntry",
    "StatusList",
    "VerificationResult",
    "create_proof",
    "key_set_document",
    "sign",
    "status_list_credential",
    "verify_credential",
    "verify_proof",
]
