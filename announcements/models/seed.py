from django.contrib.contenttypes.models import ContentType
from django.db import models


class SeedRecord(models.Model):
    """What ``load_seed_content`` last wrote for one fixture item.

    The fingerprint of the values it wrote tells a later run whether the item
    is unchanged (nothing to do) or was edited since (leave it, unless forced).
    """

    key = models.CharField(max_length=255, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    fingerprint = models.CharField(max_length=64)

    class Meta:
        verbose_name = "seed record"

    def __str__(self):
        return self.key
