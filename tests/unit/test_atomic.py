

def test_new_files_get_the_usual_permissions_and_replacements_keep_theirs(tmp_path):
    import os
    import stat

    from synjson.atomic import atomic_write

    umask = os.umask(0o022)
    try:
        fresh = atomic_write(tmp_path / "page.html", "<p>hi</p>")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        os.chmod(fresh, 0o640)
        atomic_write(fresh, "<p>again</p>")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    finally:
        os.umask(umask)
