"""Builds the C++ core for `pip install .` (pyproject.toml): CMake configures edopt with the
running interpreter, builds only the Python module `_edopt` and the `edopt` binary (no tests,
no benchmarks), and places both inside the package. The version is CMakeLists.txt's
project(VERSION ...), the one place it is written."""
import os
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))


def version():
    with open(os.path.join(HERE, "CMakeLists.txt"), encoding="utf-8") as f:
        return re.search(r"project\(edopt VERSION ([0-9.]+)", f.read()).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = os.path.abspath(os.environ.get("EDOPT_BUILD_DIR", os.path.join(self.build_temp, "cmake")))
        os.makedirs(build, exist_ok=True)
        subprocess.check_call([
            "cmake", "-S", HERE, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
            "-DEDOPT_BUILD_TESTS=OFF", "-DEDOPT_BUILD_BENCHMARKS=OFF", "-DEDOPT_BUILD_PYTHON=ON",
            f"-DPython_EXECUTABLE={sys.executable}"])
        jobs = str(os.cpu_count() or 1)
        subprocess.check_call(["cmake", "--build", build, "-j", jobs, "--target", "_edopt", "edopt"])
        target = os.path.dirname(os.path.abspath(self.get_ext_fullpath(ext.name)))
        os.makedirs(os.path.join(target, "bin"), exist_ok=True)
        module_dir = os.path.join(build, "python", "edopt")
        for name in os.listdir(module_dir):
            if name.startswith("_edopt") and name.endswith((".so", ".pyd")):
                shutil.copy2(os.path.join(module_dir, name), self.get_ext_fullpath(ext.name))
        shutil.copy2(os.path.join(build, "edopt"), os.path.join(target, "bin", "edopt"))

    # `pip install -e .` copies the extension into the source package; the binary goes beside it.
    def _binary(self):
        built = os.path.join(self.build_lib, "edopt", "bin", "edopt")
        package = self.get_finalized_command("build_py").get_package_dir("edopt")
        return built, os.path.join(package, "bin", "edopt")

    def copy_extensions_to_source(self):
        super().copy_extensions_to_source()
        built, inplace = self._binary()
        os.makedirs(os.path.dirname(inplace), exist_ok=True)
        shutil.copy2(built, inplace)

    def get_output_mapping(self):
        mapping = super().get_output_mapping()
        if self.inplace:
            built, inplace = self._binary()
            mapping[built] = inplace
        return mapping


setup(version=version(),
      # setuptools' own files stay in one corner of the CMake build folder.
      options={"build": {"build_base": os.path.join("build", "pip")}},
      ext_modules=[Extension("edopt._edopt", sources=[])],
      cmdclass={"build_ext": CMakeBuild},
      package_data={"edopt": ["bin/edopt"]})
