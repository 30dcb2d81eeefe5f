"""``X-Bench-Queries``: how many database queries served this response."""

from django.db import connection

HEADER = "X-Bench-Queries"


def count_queries(get_response):
    def middleware(request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response[HEADER] = str(count)
        return response

    return middleware
