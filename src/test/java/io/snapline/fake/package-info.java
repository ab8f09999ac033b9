/** In-process fakes of the AWS wire protocols the project's SDK clients speak (see {@link io.snapline.fake.FakeAws}). */
package io.snapline.fake;
