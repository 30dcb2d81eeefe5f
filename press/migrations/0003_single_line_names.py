import re

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0002_journalist_email_confirmed_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="journalist",
            name="name",
            field=models.CharField(
                max_length=200,
                validators=[
                    django.core.validators.RegexValidator(
                        re.compile("[\x00-\x1f\x7f-\x9f]"),
                        code="single_line",
                        inverse_match=True,
                        message="Write it on one line, without line breaks or control characters.",
                    )
                ],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="journalist",
            name="outlet",
            field=models.CharField(
                help_text="The newspaper, agency, radio or channel they work for.",
                max_length=200,
                validators=[
                    django.core.validators.RegexValidator(
                        re.compile("[\x00-\x1f\x7f-\x9f]"),
                        code="single_line",
                        inverse_match=True,
                        message="Write it on one line, without line breaks or control characters.",
                    )
                ],
                verbose_name="outlet",
            ),
        ),
    ]
