"""View decorators of the training pages (helpline roles other than admin have no training pages)."""

from aman.core.permissions import role_required

training_required = role_required(lambda user: user.can_use_training)
manager_required = role_required(lambda user: user.can_manage_training)
