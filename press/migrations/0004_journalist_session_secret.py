from django.db import migrations, models

import press.models


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0003_single_line_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="journalist",
            name="session_secret",
            field=models.CharField(
                default=press.models.new_nonce, editable=False, max_length=32
            ),
        ),
    ]
